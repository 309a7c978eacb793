// bom.p4 - starts with a UTF-8 byte order mark, which is skipped.
const bit<8> X = 1;
