// expect: 4:2: error: #elif after #else
#if 0
#else
#elif 1
#endif
