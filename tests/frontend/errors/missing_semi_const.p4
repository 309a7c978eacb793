// expect: 2:19: error: expected ';' after the declaration of 'X'
const bit<8> X = 1
const bit<8> Y = 2;
