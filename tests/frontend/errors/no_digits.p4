// expect: 2:18: error: constant '0x' has no digits
const bit<8> X = 0x;
