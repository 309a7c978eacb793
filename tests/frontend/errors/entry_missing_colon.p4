// expect: 8:14: error: expected ':' after the entry's keys
control C(in bit<8> k) {
    action a() { }
    table t {
        key = { k : exact; }
        actions = { a; }
        const entries = {
            1 a();
        }
    }
    apply { }
}
