// expect: 2:18: error: invalid digit 'G' in hexadecimal constant '8w0xG1'
const bit<8> X = 8w0xG1;
