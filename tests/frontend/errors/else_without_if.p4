// expect: 2:2: error: #else without #if
#else
