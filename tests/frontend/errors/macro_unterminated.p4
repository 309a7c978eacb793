// expect: 3:18: error: unterminated argument list invoking macro 'ID'
#define ID(a) a
const bit<8> X = ID(1;
