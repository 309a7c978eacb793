// expect: 2:2: error: division by zero in #if expression
#if 1 / 0
#endif
