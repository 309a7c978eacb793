// expect: 2:20: error: stray '$' in program
const bit<8> X = 1 $ 2;
