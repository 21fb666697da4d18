package org.tianshu.dr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrStep;
import org.tianshu.api.dr.RecoveryReport;
import org.tianshu.api.dr.RunState;
import org.tianshu.api.dr.StepKind;
import org.tianshu.api.dr.StepState;
import org.tianshu.api.testing.LabScripts;

/**
 * PDF reports of a system with Chinese names, with the report font that {@code lab/fonts.sh} installs (the default
 * {@code reportFont}), with a TrueType file, and without a usable font.
 */
class DrPdfFontIT {
    static final String GROUP = "门户网站 (portal)";
    static final String CHECK = "exit 0: 省政务服务门户首页正常";
    static final Path FONT = Path.of(DrPdf.DEFAULT_FONT);

    @TempDir
    Path dir;

    @BeforeAll
    static void font() {
        LabScripts.run("fonts.sh");
    }

    /** A drill of a system whose group, cloud and check output are in Chinese. */
    static RecoveryReport report() {
        Instant t = Instant.parse("2026-11-23T08:00:00Z");
        List<DrStep> steps = List.of(
                new DrStep(1, StepKind.ISOLATE, null, 0, StepState.DONE, t, t.plusSeconds(1), "门户-drill"),
                new DrStep(2, StepKind.BRING_UP, "db", 1, StepState.DONE, t.plusSeconds(1), t.plusSeconds(9),
                        "门户-drill/db"),
                new DrStep(3, StepKind.GROUP_UP, null, 1, StepState.DONE, t.plusSeconds(9), t.plusSeconds(9), null),
                new DrStep(4, StepKind.CHECK, "web", 1, StepState.DONE, t.plusSeconds(9), t.plusSeconds(10), CHECK));
        DrRun run = new DrRun("run-1", "portal-plan", "portal", DrOperation.DRILL, RunState.TEST_COMPLETE, "卫健委运维",
                t, t.plusSeconds(10), t.minusSeconds(60), "门户-drill", null, steps);
        return DrReports.report(run, Duration.ofSeconds(7));
    }

    static byte[] render(Path font) {
        return DrPdf.render(report(), font, GROUP, "chengdu-k8s", "绵阳政务云");
    }

    static String text(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    /** The fonts of the report's first page. */
    static List<PDFont> fonts(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            List<PDFont> fonts = new ArrayList<>();
            for (COSName name : doc.getPage(0).getResources().getFontNames()) {
                fonts.add(doc.getPage(0).getResources().getFont(name));
            }
            return fonts;
        }
    }

    @Test
    void chineseNamesPrintInTheEmbeddedSubsetOfTheDefaultFont() throws IOException {
        byte[] pdf = render(FONT);
        Files.write(Path.of("target", "report-zh.pdf"), pdf); // to look at
        String text = text(pdf);
        assertThat(text).contains("Protection group " + GROUP, "Recovery cloud 绵阳政务云", "Requested by 卫健委运维",
                "门户-drill/db", CHECK, "Measured RTO 10.000 s").doesNotContain("?");
        assertThat(fonts(pdf)).anySatisfy(f -> {
            assertThat(f).isInstanceOf(PDType0Font.class);
            assertThat(f.isEmbedded()).isTrue();
            // a subset carries a six-letter tag: ABCDEF+WenQuanYiMicroHei
            assertThat(f.getName()).matches("[A-Z]{6}\\+.+");
        });
        // the font file is 5 MB: only the glyphs used are embedded
        assertThat(pdf.length).isLessThan(200_000);
    }

    @Test
    void aTrueTypeFileIsEmbeddedAndCharactersItLacksPrintAsQuestionMarks() throws IOException {
        // a .ttf holding the Latin letters, digits and the characters of the group name only
        Path ttf = dir.resolve("portal.ttf");
        try (TrueTypeCollection collection = new TrueTypeCollection(FONT.toFile()); OutputStream out = Files.newOutputStream(ttf)) {
            AtomicReference<TrueTypeFont> first = new AtomicReference<>();
            collection.processAllFonts(f -> first.compareAndSet(null, f));
            TTFSubsetter subset = new TTFSubsetter(first.get());
            " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~门户网站"
                    .codePoints().forEach(subset::add);
            subset.writeToStream(out);
        }
        String text = text(render(ttf));
        assertThat(text).contains("Protection group " + GROUP, "Recovery cloud ?????", "exit 0: ?????门户????",
                "Recovery plan portal-plan");
    }

    @Test
    void withoutAUsableFontTheReportFallsBackToHelvetica() throws IOException {
        Path notAFont = Files.writeString(dir.resolve("broken.ttc"), "not a font");
        for (Path font : new Path[] {dir.resolve("missing.ttc"), notAFont, null}) {
            byte[] pdf = render(font);
            assertThat(text(pdf)).as("%s", font).contains("Protection group ???? (portal)", "Recovery plan portal-plan",
                    "Measured RTO 10.000 s");
            assertThat(fonts(pdf)).as("%s", font).extracting(PDFont::getName).containsOnly("Helvetica", "Helvetica-Bold");
        }
    }
}
