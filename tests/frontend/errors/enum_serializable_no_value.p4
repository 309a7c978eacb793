// expect: 2:25: error: expected '=' after the member of an enum with an underlying type
enum bit<8> E { A = 1, B }
