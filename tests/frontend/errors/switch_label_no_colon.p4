// expect: 5:14: error: expected ':' after the switch label
control C(in bit<8> k) {
    apply {
        switch (k) {
            1 { }
        }
    }
}
