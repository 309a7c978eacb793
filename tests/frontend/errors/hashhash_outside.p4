// expect: 3:20: error: '##' outside of a macro definition
#define X 1
const bit<8> Y = 1 ## 2;
