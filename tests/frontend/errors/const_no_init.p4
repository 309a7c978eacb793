// expect: 2:15: error: expected '=' after the constant's name
const bit<8> X;
