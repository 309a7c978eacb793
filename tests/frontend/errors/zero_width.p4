// expect: 2:18: error: width of '0w5' must be positive
const bit<8> X = 0w5;
