// expect: 4:20: error: expected a state name or 'select' before ';'
parser P() {
    state start {
        transition ;
    }
}
