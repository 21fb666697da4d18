package org.tianshu.dr;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrStep;
import org.tianshu.api.dr.RecoveryReport;

/**
 * The report as a PDF (A4 landscape, PDFBox): the same facts and steps table as the HTML page, cells cut to their
 * column with "...". Values are set in the configured TrueType font (a {@code .ttf}, or the first font of a
 * {@code .ttc}), embedded as a subset, so Chinese names print; labels in standard Helvetica Bold. Without that font
 * (absent, or not embeddable, e.g. an OpenType font with CFF outlines) values fall back to Helvetica with a warning,
 * and characters it cannot show print as '?'.
 */
final class DrPdf {
    private static final Logger LOG = LoggerFactory.getLogger(DrPdf.class);
    /** The default report font: Debian's fonts-wqy-microhei, installed by {@code lab/fonts.sh}. */
    static final String DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 36;
    private static final float SIZE = 8;
    private static final float LEADING = 11;
    /** Widths of {@link DrReports#STEP_COLUMNS}, in points; the detail takes the rest of the line. */
    private static final float[] WIDTHS = {24, 70, 110, 38, 56, 130, 52};

    private final PDDocument doc;
    private final PDFont font;
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDPageContentStream page;
    private float y;

    private DrPdf(PDDocument doc, PDFont font) {
        this.doc = doc;
        this.font = font;
    }

    /**
     * The PDF bytes of the report, its values set in {@code fontFile} (null: Helvetica).
     */
    static byte[] render(RecoveryReport r, Path fontFile, String groupName, String protectedCloud, String recoveryCloud) {
        try (PDDocument doc = new PDDocument(); TextFont text = TextFont.load(doc, fontFile)) {
            DrRun run = r.run();
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("DR " + run.operation().name().toLowerCase() + " report " + run.id());
            info.setSubject("Recovery plan " + run.planId());
            info.setCreator("Tianshu");
            DrPdf pdf = new DrPdf(doc, text.font());
            pdf.newPage();
            pdf.line(pdf.bold, 14, MARGIN, "Disaster recovery report: " + run.operation().name());
            pdf.y -= 6;
            for (String[] kv : DrReports.summary(r, groupName, protectedCloud, recoveryCloud)) {
                pdf.cell(pdf.bold, MARGIN, 150, kv[0]);
                pdf.cell(pdf.font, MARGIN + 150, PAGE.getWidth() - 2 * MARGIN - 150, kv[1]);
                pdf.y -= LEADING;
            }
            pdf.y -= 8;
            pdf.line(pdf.bold, 11, MARGIN, "Steps");
            pdf.y -= 6;
            pdf.header();
            for (DrStep s : run.steps()) {
                if (pdf.y < MARGIN) {
                    pdf.newPage();
                    pdf.header();
                }
                pdf.row(pdf.font, DrReports.stepCells(s));
            }
            pdf.page.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream(16_384 + run.steps().size() * 120);
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the PDF report", e);
        }
    }

    /** The font of the values and the parsed file it reads glyphs from until the document is saved. */
    private record TextFont(PDFont font, Closeable file) implements Closeable {
        /** {@code file} embedded in {@code doc} as a subset; Helvetica when it is null or cannot be embedded. */
        static TextFont load(PDDocument doc, Path file) {
            PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            if (file == null || !readable(file)) {
                return new TextFont(helvetica, null);
            }
            Closeable parsed = null;
            try {
                TrueTypeFont ttf;
                if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ttc")) {
                    TrueTypeCollection collection = new TrueTypeCollection(file.toFile());
                    parsed = collection;
                    AtomicReference<TrueTypeFont> first = new AtomicReference<>();
                    collection.processAllFonts(f -> first.compareAndSet(null, f));
                    ttf = first.get();
                } else {
                    RandomAccessReadBufferedFile read = new RandomAccessReadBufferedFile(file.toFile());
                    parsed = read;
                    ttf = new TTFParser().parse(read);
                    parsed = ttf;
                }
                if (ttf == null) {
                    throw new IOException("the collection holds no font");
                }
                return new TextFont(PDType0Font.load(doc, ttf, true), parsed);
            } catch (IOException | RuntimeException e) {
                LOG.warn("DR report font {} cannot be embedded ({}): PDF reports use Helvetica and print Chinese as"
                        + " '?'; set reportFont in etc/org.tianshu.dr.cfg to a TrueType font (.ttf/.ttc)", file, e.toString());
                if (parsed != null) {
                    try {
                        parsed.close();
                    } catch (IOException ignored) {
                        // nothing more is read from it
                    }
                }
                return new TextFont(helvetica, null);
            }
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }
    }

    /**
     * Whether {@code file} is a readable file; warns (the reports will fall back to Helvetica) when it is not.
     */
    static boolean readable(Path file) {
        if (Files.isRegularFile(file) && Files.isReadable(file)) {
            return true;
        }
        LOG.warn("DR report font {} not found: PDF reports use Helvetica and print Chinese as '?'; install it"
                + " (lab/fonts.sh: Debian's fonts-wqy-microhei) or set reportFont in etc/org.tianshu.dr.cfg", file);
        return false;
    }

    private void newPage() throws IOException {
        if (page != null) {
            page.close();
        }
        PDPage p = new PDPage(PAGE);
        doc.addPage(p);
        page = new PDPageContentStream(doc, p);
        y = PAGE.getHeight() - MARGIN;
    }

    private void header() throws IOException {
        row(bold, DrReports.STEP_COLUMNS.toArray(String[]::new));
    }

    private void row(PDFont f, String[] cells) throws IOException {
        float x = MARGIN;
        for (int i = 0; i < cells.length; i++) {
            float w = i < WIDTHS.length ? WIDTHS[i] : PAGE.getWidth() - MARGIN - x;
            cell(f, x, w - 4, cells[i]);
            x += w;
        }
        y -= LEADING;
    }

    private void line(PDFont f, float size, float x, String text) throws IOException {
        y -= size;
        show(f, size, x, printable(f, text));
        y -= size / 2;
    }

    private void cell(PDFont f, float x, float width, String text) throws IOException {
        show(f, SIZE, x, fit(f, printable(f, text), width));
    }

    private void show(PDFont f, float size, float x, String text) throws IOException {
        page.beginText();
        page.setFont(f, size);
        page.newLineAtOffset(x, y);
        page.showText(text);
        page.endText();
    }

    /** {@code text} cut to {@code width} points, ending in "..." when cut. */
    private static String fit(PDFont f, String text, float width) throws IOException {
        if (width(f, text) <= width) {
            return text;
        }
        // the longest prefix that fits with the ellipsis, by bisection (details can be long)
        int lo = 0;
        int hi = text.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (width(f, text.substring(0, mid) + "...") <= width) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int n = lo;
        return text.substring(0, n) + "...";
    }

    private static float width(PDFont f, String text) throws IOException {
        return f.getStringWidth(text) / 1000 * SIZE;
    }

    /** {@code text} with line breaks as spaces and what the font cannot encode as '?'. */
    static String printable(PDFont f, String text) {
        StringBuilder b = new StringBuilder(text == null ? 0 : text.length());
        for (int i = 0; text != null && i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            String c = Character.isWhitespace(cp) ? " " : new String(Character.toChars(cp));
            try {
                f.encode(c);
                b.append(c);
            } catch (IOException | IllegalArgumentException e) {
                b.append('?');
            }
        }
        return b.toString();
    }
}
