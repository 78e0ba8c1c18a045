export function withFields(a: number, b: number) {
  class C {
    x = a || b;
    y = a ? 1 : b && 2;
    static z = a?.toFixed();
    m() {
      return a && b;
    }
    h = () => a || b;
  }
  return a ?? C;
}

export function elseIfChain(a: unknown, b: unknown, c: unknown, d: unknown) {
  if (a) {
  } else if (b) {
  }
  if (c) {
    if (d) {
    }
  }
}

export function consequentIf(a: unknown, b: unknown) {
  if (a) if (b) return 1;
  return 0;
}

declare function run(f: () => unknown): void;
run(() => {
  const helper = function () {
    return 1;
  };
  run(() => {
    run(() => helper());
  });
  (function () {
    run(() => 2);
  })();
});
