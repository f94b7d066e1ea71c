package nnc.compiler.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import nnc.runtime.train.EpochResult;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves as PNG images, drawn by XChart without a display. A figure is a row of
 * panels of {@link #PANEL_WIDTH} x {@link #PANEL_HEIGHT} pixels, epochs on the x axis:
 *
 * <pre>
 *   one run (nnc train):   loss | accuracy | learning rate     train dashed, validation solid
 *   several (nnc plot):    loss | accuracy | learning rate     a colour per run
 *   a sweep (nnc sweep):   validation loss | validation accuracy, a legend beside them
 * </pre>
 *
 * The accuracy panel is left out when no run has accuracy (a regression); a curve a run does
 * not have (validation without a validation set) is left out. The loss axis turns logarithmic
 * when the losses span more than a factor of 20, so a run that blows up does not flatten the
 * others.
 */
public final class Curves {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    public static final int PANEL_WIDTH = 520;
    public static final int PANEL_HEIGHT = 400;
    /** Extra width of a sweep figure, for its legend. */
    public static final int LEGEND_WIDTH = 300;

    /** Tableau 10, a qualitative palette that stays apart when printed grey. */
    private static final Color[] COLOURS = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
        new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
        new Color(0x9C755F), new Color(0xBAB0AC)};
    private static final BasicStroke[] DASHES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
        SeriesLines.DASH_DOT};
    private static final Marker[] MARKERS = {SeriesMarkers.NONE, SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE,
        SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.CROSS};

    private Curves() {
    }

    /**
     * One run's curves as a figure shows them.
     *
     * @param colour index into a palette of 10 colours (taken modulo)
     * @param dash   0 solid, 1 dashed, 2 dotted, 3 dash-dot (modulo)
     * @param marker 0 none, then circle, square, diamond, triangle, cross (modulo)
     */
    public record Line(String label, List<EpochResult> epochs, int colour, int dash, int marker) {
        public Line {
            epochs = List.copyOf(epochs);
        }

        public Line(String label, List<EpochResult> epochs, int colour) {
            this(label, epochs, colour, 0, 0);
        }
    }

    /** The figure {@code nnc train} writes: loss, accuracy and learning rate of one run, train and validation. */
    public static byte[] run(String title, List<EpochResult> epochs) throws IOException {
        return compare(title, List.of(new Line("", epochs, 0)), true);
    }

    /**
     * Several runs in one figure ({@code nnc plot}): each run a colour, validation solid and
     * (with {@code train}) training dashed.
     */
    public static byte[] compare(String title, List<Line> runs, boolean train) throws IOException {
        List<XYChart> panels = new ArrayList<>();
        boolean single = runs.size() == 1;
        String lines = single || !train ? "" : " (dashed train, solid validation)";
        XYChart loss = panel((title.isEmpty() ? "loss" : title + ": loss") + lines, "loss");
        XYChart acc = panel("accuracy" + lines, "accuracy");
        XYChart lr = panel("learning rate", "learning rate");
        for (Line r : runs) {
            String name = single ? "" : r.label() + " ";
            if (train) {
                add(loss, name + "train", r, EpochResult::trainLoss, SeriesLines.DASH_DASH);
                add(acc, name + "train", r, EpochResult::trainAccuracy, SeriesLines.DASH_DASH);
            }
            Line v = single ? new Line(r.label(), r.epochs(), r.colour() + 1, r.dash(), r.marker()) : r;
            add(loss, name + (single ? "validation" : "val"), v, EpochResult::valLoss, SeriesLines.SOLID);
            add(acc, name + (single ? "validation" : "val"), v, EpochResult::valAccuracy, SeriesLines.SOLID);
            // the rate as written (1e-3), not the float widened (0.0010000000474974513)
            add(lr, single ? "lr" : r.label(), r, e -> Double.parseDouble(Float.toString(e.learningRate())),
                    SeriesLines.SOLID);
        }
        logarithmicWhenSpread(loss);
        lr.getStyler().setYAxisDecimalPattern("0.##E0");
        // Several runs: the colours are named once, under the learning rates, instead of a
        // legend in every panel over the curves.
        loss.getStyler().setLegendVisible(single);
        // Accuracy rises to the right, where the legend would sit on it: bottom right instead.
        acc.getStyler().setLegendVisible(single).setLegendPosition(Styler.LegendPosition.InsideSE);
        lr.getStyler().setLegendVisible(!single).setLegendPosition(Styler.LegendPosition.OutsideS);
        for (XYChart c : List.of(loss, acc, lr)) {
            if (!c.getSeriesCollection().isEmpty()) {
                panels.add(c);
            }
        }
        return png(panels, 0);
    }

    /**
     * A sweep's figure: every run's validation loss and accuracy (training, without
     * {@code validation}), one legend beside them. The caller styles runs by their place in the
     * grid (colour, dash and marker per axis).
     */
    public static byte[] sweep(String title, List<Line> runs, boolean validation) throws IOException {
        String which = validation ? "validation" : "training";
        XYChart loss = panel(title + ": " + which + " loss", "loss");
        XYChart acc = panel(which + " accuracy", "accuracy");
        for (Line r : runs) {
            BasicStroke dash = DASHES[r.dash() % DASHES.length];
            add(loss, r.label(), r, validation ? EpochResult::valLoss : EpochResult::trainLoss, dash);
            add(acc, r.label(), r, validation ? EpochResult::valAccuracy : EpochResult::trainAccuracy, dash);
        }
        logarithmicWhenSpread(loss);
        loss.getStyler().setLegendVisible(false);
        List<XYChart> panels = new ArrayList<>();
        for (XYChart c : List.of(loss, acc)) {
            if (!c.getSeriesCollection().isEmpty()) {
                panels.add(c);
            }
        }
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no curves to draw: no run has a finished epoch");
        }
        XYChart last = panels.get(panels.size() - 1);
        last.getStyler().setLegendVisible(true).setLegendPosition(Styler.LegendPosition.OutsideE);
        return png(panels, LEGEND_WIDTH);
    }

    private static XYChart panel(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(Styler.LegendPosition.InsideNE)
                .setLegendBorderColor(Color.LIGHT_GRAY).setChartTitleBoxVisible(false);
        c.getStyler().setMarkerSize(5);
        c.getStyler().setXAxisDecimalPattern("#").setPlotGridLinesColor(new Color(0xE0E0E0));
        return c;
    }

    /** Adds a run's figure {@code f} unless it has none (NaN in every epoch). */
    private static void add(XYChart c, String name, Line r, ToDoubleFunction<EpochResult> f, BasicStroke stroke) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochResult e : r.epochs()) {
            double v = f.applyAsDouble(e);
            if (Double.isFinite(v)) {
                x.add((double) e.epoch());
                y.add(v);
            }
        }
        if (y.isEmpty()) {
            return;
        }
        XYSeries s = c.addSeries(name.isEmpty() ? " " : name, x, y);
        s.setLineColor(COLOURS[r.colour() % COLOURS.length]).setLineStyle(stroke);
        Marker m = MARKERS[r.marker() % MARKERS.length];
        s.setMarker(m == SeriesMarkers.NONE && y.size() <= 1 ? SeriesMarkers.CIRCLE : m)
                .setMarkerColor(COLOURS[r.colour() % COLOURS.length]);
    }

    private static void logarithmicWhenSpread(XYChart c) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (XYSeries s : c.getSeriesCollection()) {
            for (double v : s.getYData()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        c.getStyler().setYAxisLogarithmic(min > 0 && max / min > 20);
    }

    /** The panels side by side (the last {@code extra} pixels wider, for its legend), as PNG bytes. */
    private static byte[] png(List<XYChart> panels, int extra) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no curves to draw: no run has a finished epoch");
        }
        int width = PANEL_WIDTH * panels.size() + extra;
        BufferedImage image = new BufferedImage(width, PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, PANEL_HEIGHT);
        int x = 0;
        for (int i = 0; i < panels.size(); i++) {
            int w = PANEL_WIDTH + (i == panels.size() - 1 ? extra : 0);
            Graphics2D p = (Graphics2D) g.create(x, 0, w, PANEL_HEIGHT);
            panels.get(i).paint(p, w, PANEL_HEIGHT);
            p.dispose();
            x += w;
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
