import java.math.BigDecimal;
import java.math.RoundingMode;

// idispatch: `dispatch` with its abstract base class replaced by an interface.
public class idispatch {
    interface Shape {
        double area();
    }

    static final class Circle implements Shape {
        final double r;
        Circle(double r) { this.r = r; }
        public double area() { return 3.0 * r * r; }
    }

    static final class Square implements Shape {
        final double s;
        Square(double s) { this.s = s; }
        public double area() { return s * s; }
    }

    static final class Rect implements Shape {
        final double w, h;
        Rect(double w, double h) { this.w = w; this.h = h; }
        public double area() { return w * h; }
    }

    static Shape[] makeShapes(int count) {
        Shape[] shapes = new Shape[count];
        for (int i = 0; i < count; i++) {
            if (i % 3 == 0) shapes[i] = new Circle((double) (i % 10 + 1));
            else if (i % 3 == 1) shapes[i] = new Square((double) (i % 7 + 1));
            else shapes[i] = new Rect((double) (i % 5 + 1), (double) (i % 4 + 1));
        }
        return shapes;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        Shape[] shapes = makeShapes(1000);
        double total = 0.0;
        for (int k = 0; k < n; k++)
            for (int i = 0; i < shapes.length; i++) total += shapes[i].area();
        System.out.println(new BigDecimal(total).setScale(1, RoundingMode.HALF_EVEN).toPlainString());
    }
}
