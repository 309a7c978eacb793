// expect: 4:8: error: expected ')' after the arguments
extern void f(in bit<8> a, in bit<8> b);
action a() {
    f(1 2);
}
