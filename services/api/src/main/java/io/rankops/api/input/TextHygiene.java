package io.rankops.api.input;

/**
 * Text the API refuses wherever it comes from (body, path, query, form): NUL characters, which
 * PostgreSQL cannot store in text or jsonb (the insert or even a lookup fails), and unpaired UTF-16
 * surrogates, which are not Unicode and would be silently mangled into '?' on their way to the
 * database or Temporal.
 */
public final class TextHygiene {

    private TextHygiene() {
    }

    /** Why the text is refused, or null when it is fine. */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain NUL characters (\\u0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain unpaired UTF-16 surrogates (not Unicode text)";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain unpaired UTF-16 surrogates (not Unicode text)";
            }
        }
        return null;
    }
}
