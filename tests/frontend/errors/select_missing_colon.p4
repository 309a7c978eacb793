// expect: 5:14: error: expected ':' after the keyset
parser P(in bit<8> v) {
    state start {
        transition select(v) {
            1 accept;
        }
    }
}
