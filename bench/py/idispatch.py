import sys
from abc import ABC, abstractmethod


class Shape(ABC):
    @abstractmethod
    def area(self):
        ...


class Circle(Shape):
    def __init__(self, r):
        self.r = r

    def area(self):
        return 3.0 * self.r * self.r


class Square(Shape):
    def __init__(self, s):
        self.s = s

    def area(self):
        return self.s * self.s


class Rect(Shape):
    def __init__(self, w, h):
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h


def make_shapes(count):
    shapes = [None] * count
    for i in range(count):
        if i % 3 == 0:
            shapes[i] = Circle(float(i % 10 + 1))
        elif i % 3 == 1:
            shapes[i] = Square(float(i % 7 + 1))
        else:
            shapes[i] = Rect(float(i % 5 + 1), float(i % 4 + 1))
    return shapes


def main(args):
    n = 10000
    if len(args) > 0:
        n = int(args[0])
    shapes = make_shapes(1000)
    total = 0.0
    for rep in range(n):
        for s in shapes:
            total += s.area()
    print("%.1f" % total)


main(sys.argv[1:])
