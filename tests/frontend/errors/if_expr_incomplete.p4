// expect: 2:2: error: expected a value in #if expression
#if 1 +
#endif
