// expect: 3:18: error: macro 'ADD' takes 2 arguments, but 1 given
#define ADD(a, b) ((a) + (b))
const bit<8> X = ADD(1);
