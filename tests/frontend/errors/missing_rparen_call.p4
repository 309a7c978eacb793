// expect: 4:8: error: expected ')' after the arguments
extern void f(in bit<8> a);
action a() {
    f(1;
}
