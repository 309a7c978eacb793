// expect: 2:2: error: unknown preprocessor directive '#frobnicate'
#frobnicate 1
