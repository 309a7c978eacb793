// expect: 2:1: error: a variable cannot be declared at the top level; use 'const'
bit<8> x;
