// expect: 4:12: error: expected '=' after 'key'
control C(in bit<8> k) {
    table t {
        key { k : exact; }
    }
    apply { }
}
