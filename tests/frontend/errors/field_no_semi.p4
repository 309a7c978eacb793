// expect: 3:13: error: expected ';' after the field 'a'
header h_t {
    bit<8> a
    bit<8> b;
}
