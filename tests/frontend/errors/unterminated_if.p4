// expect: 2:2: error: unterminated #if
#if 1
const bit<8> X = 1;
