package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class LatencyPlotTest {

    @Test
    void placesPercentilesOnALogScaleOfOneInN() {
        assertThat(LatencyPlot.decades(0)).isZero();
        assertThat(LatencyPlot.decades(90)).isCloseTo(1, within(1e-9));
        assertThat(LatencyPlot.decades(99)).isCloseTo(2, within(1e-9));
        assertThat(LatencyPlot.decades(99.9)).isCloseTo(3, within(1e-9));
        assertThat(LatencyPlot.percentLabel(0)).isEqualTo("0%");
        assertThat(LatencyPlot.percentLabel(1)).isEqualTo("90%");
        assertThat(LatencyPlot.percentLabel(2)).isEqualTo("99%");
        assertThat(LatencyPlot.percentLabel(4)).isEqualTo("99.99%");
    }

    @Test
    void showsOneDecadeBeyondTheRarestValueMeasured() {
        assertThat(LatencyPlot.decadesShown(List.of(new LatencyPlot.Series("a", List.of(), 10)))).isEqualTo(2);
        assertThat(LatencyPlot.decadesShown(List.of(new LatencyPlot.Series("a", List.of(), 1_000)))).isEqualTo(4);
        assertThat(LatencyPlot.decadesShown(List.of(new LatencyPlot.Series("a", List.of(), 1_001)))).isEqualTo(5);
    }

    @Test
    void picksRoundTickSteps() {
        assertThat(LatencyPlot.tickStep(10)).isEqualTo(2);
        assertThat(LatencyPlot.tickStep(3.7)).isEqualTo(1);
        assertThat(LatencyPlot.tickStep(240)).isEqualTo(50);
        assertThat(LatencyPlot.tickStep(0)).isEqualTo(1);
    }

    @Test
    void drawsEachSeriesFromItsHistogramUpToTheMaximum() {
        LatencyPlot.Series s = LatencyPlot.series("x", histogram(1_000));

        assertThat(s.count()).isEqualTo(1_000);
        assertThat(s.points()).extracting(LatencyPlot.Point::percentile).isSorted();
        LatencyPlot.Point last = s.points().get(s.points().size() - 1);
        assertThat(last.percentile()).isEqualTo(100);
        assertThat(last.micros()).isCloseTo(1_000, within(1.0)); // the maximum, to the histogram's precision
        assertThat(s.points().get(0)).isEqualTo(new LatencyPlot.Point(0, 1.0)); // from the minimum
        assertThat(LatencyPlot.series("none", new Histogram(3)).points()).isEmpty();
    }

    @Test
    void writesWellFormedSvgWithOneCurvePerSeriesAndEscapedNames() throws Exception {
        List<LatencyPlot.Series> series = new ArrayList<>();
        series.add(LatencyPlot.series("all targets", histogram(1_000)));
        series.add(LatencyPlot.series("http://a/?x=1&y=<2>", histogram(500)));
        String svg = LatencyPlot.svg("GET over 2 URLs & more", series);

        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        NodeList curves = doc.getElementsByTagName("polyline");
        assertThat(curves.getLength()).isEqualTo(2);
        assertThat(curves.item(1).getTextContent()).isEqualTo("http://a/?x=1&y=<2>");
        String points = ((Element) curves.item(0)).getAttribute("points");
        assertThat(points.split(" ")).hasSizeGreaterThan(10).allMatch(p -> p.matches("[0-9.]+,[0-9.]+"));
        assertThat(texts(doc)).contains("0%", "90%", "99%", "99.9%", "99.99%", "1 in 10,000", "latency (ms)",
                "GET over 2 URLs & more", "all targets");
    }

    @Test
    void saysSoWhenNothingWasMeasured() throws Exception {
        Document doc = parse(LatencyPlot.svg("t", List.of(LatencyPlot.series("all", new Histogram(3)))));

        assertThat(doc.getElementsByTagName("polyline").getLength()).isZero();
        assertThat(texts(doc)).contains("no successful response was measured");
    }

    @Test
    void wrapsTheSvgInASelfContainedPage() throws Exception {
        String svg = LatencyPlot.svg("t", List.of(LatencyPlot.series("all", histogram(100))));
        String html = LatencyPlot.html("Latency <run>", svg, "p50 1 ms & more");

        assertThat(html).startsWith("<!DOCTYPE html>").contains(svg).contains("<title>Latency &lt;run&gt;</title>")
                .contains("<pre>p50 1 ms &amp; more</pre>")
                .doesNotContain("<script", "src=", "href=", "<link", "@import");
        String embedded = html.substring(html.indexOf("<svg"), html.indexOf("</svg>") + "</svg>".length());
        assertThat(parse(embedded).getDocumentElement().getTagName()).isEqualTo("svg");
    }

    /** 1..max microseconds, one value each. */
    private static Histogram histogram(int maxMicros) {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= maxMicros; i++) {
            h.recordValue(i * 1_000L);
        }
        return h;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static List<String> texts(Document doc) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        NodeList titles = doc.getElementsByTagName("title");
        for (int i = 0; i < titles.getLength(); i++) {
            texts.add(titles.item(i).getTextContent());
        }
        return texts;
    }
}
