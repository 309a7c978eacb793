// expect: 2:2: error: macro name missing after #define
#define
const bit<8> X = 1;
