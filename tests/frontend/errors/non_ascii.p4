// expect: 3:26: error: stray byte 0xc3 in program
const bit<8> X = 1;
const string S = "café" é;
