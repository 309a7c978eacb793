// expect: 3:9: error: expected an expression before ';'
action a(inout bit<8> x) {
    x = ;
}
