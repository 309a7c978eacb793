// expect: 3:10: error: expected an expression before ';'
action a(inout bit<8> x) {
    x += ;
}
