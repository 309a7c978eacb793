// expect: 2:1: error: expected a declaration before '}'
}
