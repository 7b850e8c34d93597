package org.hedgerow.cli.audit;

import static org.hedgerow.cli.audit.Html.esc;

/** A {@link PrivacyImpactAssessment} as Markdown ({@code pia.md}) and as a self-contained HTML page ({@code pia.html}). */
final class PiaDocuments {
  private PiaDocuments() {}

  static String markdown(PrivacyImpactAssessment p) {
    StringBuilder b = new StringBuilder();
    b.append("# Privacy impact assessment: ").append(p.federation()).append("\n\n")
        .append("Derived by `hedgerow audit pia` from ").append(p.source())
        .append(". Each statement names, in brackets, the configuration or code it follows from.\n");
    for (PrivacyImpactAssessment.Section s : p.sections()) {
      b.append("\n## ").append(s.title()).append("\n\n");
      for (PrivacyImpactAssessment.Statement st : s.statements()) {
        b.append("- ").append(st.text()).append(" [").append(st.basis()).append("]\n");
      }
    }
    return b.toString();
  }

  static String html(PrivacyImpactAssessment p) {
    StringBuilder b = new StringBuilder(Html.head("Privacy impact assessment: " + p.federation()));
    b.append("<h1>Privacy impact assessment: ").append(esc(p.federation())).append("</h1>\n<p class=\"muted\">Derived "
        + "by <code>hedgerow audit pia</code> from ").append(esc(p.source())).append(". Each statement names the "
            + "configuration or code it follows from.</p>\n");
    for (PrivacyImpactAssessment.Section s : p.sections()) {
      b.append("<h2>").append(esc(s.title())).append("</h2>\n<ul id=\"").append(esc(s.id())).append("\">\n");
      for (PrivacyImpactAssessment.Statement st : s.statements()) {
        b.append("<li>").append(esc(st.text())).append(" <span class=\"muted\">[").append(esc(st.basis()))
            .append("]</span></li>\n");
      }
      b.append("</ul>\n");
    }
    return b.append("</body></html>\n").toString();
  }
}
