package io.gridgate.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Latency by percentile as an SVG chart, drawn like HdrHistogram's plots: the x axis is "1 in N" on a log scale
 * (0%, 90%, 99%, 99.9%, ... equally spaced), so the tail gets as much room as the median. Plain SVG and HTML, no
 * script and nothing fetched.
 */
final class LatencyPlot {

    private static final int WIDTH = 860;
    private static final int HEIGHT = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 50;
    private static final int TOP = 40;
    private static final int BOTTOM = 80;
    private static final String[] COLORS = {
        "#1f4e79", "#e07b00", "#2e8b57", "#c0392b", "#7d3c98", "#8c564b", "#d63384", "#5f6b73", "#9a8f00", "#138d9c",
    };

    /**
     * One curve.
     *
     * @param name its legend
     * @param points (percentile, microseconds), by rising percentile; the last is the maximum at 100
     * @param count how many values the curve was drawn from
     */
    record Series(String name, List<Point> points, long count) {

        Series {
            points = List.copyOf(points);
        }
    }

    /** A latency at a percentile. */
    record Point(double percentile, double micros) {
    }

    private LatencyPlot() {
    }

    /** The curve of a latency histogram recorded in nanoseconds: five points per halving of the tail. */
    static Series series(String name, Histogram nanos) {
        List<Point> points = new ArrayList<>();
        if (nanos.getTotalCount() > 0) {
            for (HistogramIterationValue v : nanos.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo();
                if (p >= 100) {
                    break;
                }
                points.add(new Point(p, v.getValueIteratedTo() / 1000.0));
            }
            points.add(new Point(100, nanos.getMaxValue() / 1000.0));
        }
        return new Series(name, points, nanos.getTotalCount());
    }

    /** "1 in N" on a log scale: percentile p sits log10(100 / (100 - p)) decades from the left. */
    static double decades(double percentile) {
        return percentile >= 100 ? Double.POSITIVE_INFINITY : Math.log10(100 / (100 - percentile));
    }

    /** The width of the x axis in decades: room for the rarest value measured and one more, 99% at least. */
    static int decadesShown(List<Series> series) {
        long most = series.stream().mapToLong(Series::count).max().orElse(0);
        return Math.max(2, (int) Math.ceil(Math.log10(Math.max(1, most))) + 1);
    }

    /** The label of the tick {@code d} decades from the left: 0%, 90%, 99%, 99.9%, ... */
    static String percentLabel(int d) {
        return switch (d) {
            case 0 -> "0%";
            case 1 -> "90%";
            case 2 -> "99%";
            default -> "99." + "9".repeat(d - 2) + "%";
        };
    }

    /** A round step for about five ticks up to {@code max}: 1, 2 or 5 times a power of ten. */
    static double tickStep(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double raw = max / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** The chart; each series one polyline, the first drawn thicker (the total over all targets). */
    static String svg(String title, List<Series> series) {
        double maxMicros = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::micros).max()
                .orElse(0);
        Unit unit = Unit.of(maxMicros);
        double step = tickStep(maxMicros / unit.micros);
        double yMax = Math.max(step, Math.ceil(maxMicros / unit.micros / step) * step);
        int decades = decadesShown(series);
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;

        StringBuilder s = new StringBuilder(16_384);
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH,
                HEIGHT, WIDTH, HEIGHT));
        s.append("<title>").append(escape(title)).append("</title>\n");
        s.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n",
                WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">%s"
                + "</text>%n", WIDTH / 2, escape(title)));
        for (int d = 0; d <= decades; d++) {
            double x = LEFT + plotWidth * d / decades;
            s.append(line(x, TOP, x, TOP + plotHeight, "#dddddd"));
            s.append(text(x, TOP + plotHeight + 18, "middle", percentLabel(d), ""));
            if (d > 0) {
                s.append(text(x, TOP + plotHeight + 33, "middle", String.format(Locale.ROOT, "1 in %,d",
                        (long) Math.pow(10, d)), " fill=\"#666666\" font-size=\"10\""));
            }
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)));
        for (int k = 0; k * step <= yMax + step / 2; k++) {
            double y = TOP + plotHeight - plotHeight * k * step / yMax;
            s.append(line(LEFT, y, LEFT + plotWidth, y, "#dddddd"));
            s.append(text(LEFT - 8, y + 4, "end", String.format(Locale.ROOT, "%." + decimals + "f", k * step), ""));
        }
        s.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "#333333"));
        s.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#333333"));
        s.append(text(LEFT + plotWidth / 2, HEIGHT - 18, "middle", "percentile (log scale: 1 in N)", ""));
        s.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 20 %.1f)\">latency (%s)</text>%n", TOP + plotHeight / 2,
                TOP + plotHeight / 2, unit.label));
        boolean any = false;
        for (int i = 0; i < series.size(); i++) {
            Series one = series.get(i);
            if (one.points().isEmpty()) {
                continue;
            }
            any = true;
            String color = COLORS[i % COLORS.length];
            StringBuilder pts = new StringBuilder();
            double previous = 0;
            for (Point p : one.points()) {
                // The maximum is "1 in count": as far right as the series' own values reach, not the axis' end.
                double d = p.percentile() >= 100
                        ? Math.max(previous, Math.log10(one.count()))
                        : decades(p.percentile());
                previous = d;
                double x = LEFT + plotWidth * Math.min(d, decades) / decades;
                double y = TOP + plotHeight - plotHeight * Math.min(p.micros() / unit.micros, yMax) / yMax;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\""
                    + " points=\"%s\"><title>%s</title></polyline>%n", color, i == 0 ? "2.5" : "1.5",
                    pts.toString().trim(), escape(one.name())));
            double ly = TOP + 14 + 16 * i;
            s.append(line(LEFT + 12, ly - 4, LEFT + 36, ly - 4, color));
            s.append(text(LEFT + 42, ly, "start", one.name(), ""));
        }
        if (!any) {
            s.append(text(LEFT + plotWidth / 2, TOP + plotHeight / 2, "middle",
                    "no successful response was measured", ""));
        }
        return s.append("</svg>\n").toString();
    }

    /** A page with nothing but {@code svg} and the report text: opens offline, from a file, in any browser. */
    static String html(String title, String svg, String report) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>body{font-family:sans-serif;margin:24px;color:#222}"
                + "pre{background:#f6f6f6;padding:12px;overflow-x:auto}</style>\n</head>\n<body>\n"
                + "<h1>" + escape(title) + "</h1>\n" + svg + "<pre>" + escape(report) + "</pre>\n</body>\n</html>\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static String line(double x1, double y1, double x2, double y2, String color) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, color);
    }

    private static String text(double x, double y, String anchor, String content, String attributes) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n", x, y,
                anchor, attributes, escape(content));
    }

    /** The y axis unit: whichever keeps the largest value between 1 and 1000. */
    enum Unit {
        MICROS("us", 1), MILLIS("ms", 1_000), SECONDS("s", 1_000_000);

        final String label;
        final double micros;

        Unit(String label, double micros) {
            this.label = label;
            this.micros = micros;
        }

        static Unit of(double maxMicros) {
            return maxMicros < 1_000 ? MICROS : maxMicros < 1_000_000 ? MILLIS : SECONDS;
        }
    }
}
