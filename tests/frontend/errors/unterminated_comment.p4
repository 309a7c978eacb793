// expect: 3:1: error: unterminated comment
const bit<8> X = 1;
/* this comment
   never ends
