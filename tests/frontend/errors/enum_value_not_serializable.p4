// expect: 2:12: error: only an enum with an underlying type (enum bit<N> E) may give its members values
enum E { A = 1, B }
