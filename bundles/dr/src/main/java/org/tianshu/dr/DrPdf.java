package org.tianshu.dr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrStep;
import org.tianshu.api.dr.RecoveryReport;

/**
 * The report as a PDF (A4 landscape, PDFBox, standard Helvetica): the same facts and steps table as the HTML page,
 * cells cut to their column with "...". Characters Helvetica cannot show (e.g. Chinese names) print as '?'; the HTML
 * report keeps them.
 */
final class DrPdf {
    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 36;
    private static final float SIZE = 8;
    private static final float LEADING = 11;
    /** Widths of {@link DrReports#STEP_COLUMNS}, in points; the detail takes the rest of the line. */
    private static final float[] WIDTHS = {24, 70, 110, 38, 56, 130, 52};

    private final PDDocument doc;
    private final PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDPageContentStream page;
    private float y;

    private DrPdf(PDDocument doc) {
        this.doc = doc;
    }

    /** The PDF bytes of the report. */
    static byte[] render(RecoveryReport r, String groupName, String protectedCloud, String recoveryCloud) {
        try (PDDocument doc = new PDDocument()) {
            DrRun run = r.run();
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("DR " + run.operation().name().toLowerCase() + " report " + run.id());
            info.setSubject("Recovery plan " + run.planId());
            info.setCreator("Tianshu");
            DrPdf pdf = new DrPdf(doc);
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

    private void row(PDType1Font f, String[] cells) throws IOException {
        float x = MARGIN;
        for (int i = 0; i < cells.length; i++) {
            float w = i < WIDTHS.length ? WIDTHS[i] : PAGE.getWidth() - MARGIN - x;
            cell(f, x, w - 4, cells[i]);
            x += w;
        }
        y -= LEADING;
    }

    private void line(PDType1Font f, float size, float x, String text) throws IOException {
        y -= size;
        show(f, size, x, printable(f, text));
        y -= size / 2;
    }

    private void cell(PDType1Font f, float x, float width, String text) throws IOException {
        show(f, SIZE, x, fit(f, printable(f, text), width));
    }

    private void show(PDType1Font f, float size, float x, String text) throws IOException {
        page.beginText();
        page.setFont(f, size);
        page.newLineAtOffset(x, y);
        page.showText(text);
        page.endText();
    }

    /** {@code text} cut to {@code width} points, ending in "..." when cut. */
    private static String fit(PDType1Font f, String text, float width) throws IOException {
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

    private static float width(PDType1Font f, String text) throws IOException {
        return f.getStringWidth(text) / 1000 * SIZE;
    }

    /** {@code text} with line breaks as spaces and what the font cannot encode as '?'. */
    static String printable(PDType1Font f, String text) {
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
