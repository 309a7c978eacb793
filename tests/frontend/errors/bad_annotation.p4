// expect: 2:3: error: expected an annotation name after '@'
@ 1
const bit<8> X = 1;
