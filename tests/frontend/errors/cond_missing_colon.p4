// expect: 2:26: error: expected ':' after the first branch of '?:'
const bit<8> X = true ? 1 2;
