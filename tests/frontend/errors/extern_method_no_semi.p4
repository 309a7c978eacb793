// expect: 4:13: error: expected ';' after the declaration of method 'm'
extern E {
    E();
    void m()
}
