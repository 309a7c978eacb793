// expect: 4:1: error: control 'C' has no apply block
control C() {
    action a() { }
}
