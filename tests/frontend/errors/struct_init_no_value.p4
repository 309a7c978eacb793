// expect: 4:15: error: expected an expression before '}'
struct s_t { bit<8> a; }
action a(out s_t s) {
    s = { a = };
}
