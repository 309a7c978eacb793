// expect: 4:27: error: expected '}' after the transition (it must be the last statement of a state)
parser P() {
    state start {
        transition accept;
        exit;
    }
}
