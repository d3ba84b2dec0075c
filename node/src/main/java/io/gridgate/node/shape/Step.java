package io.gridgate.node.shape;

/** One step of a compiled {@link Path}: a named member (or array index), or every child. */
sealed interface Step {

    /** The {@code *} step. */
    Any ANY = new Any();

    /**
     * A member name; when the name is also a canonical array index ({@code 0}, {@code 17}, never
     * {@code 01}), it addresses that element of an array too, as in RFC 6901.
     *
     * @param index the name as an index, or -1 when it is not one
     */
    record Member(String name, int index) implements Step {

        private static final int MAX_INDEX_DIGITS = 9;

        static Member of(String name) {
            return new Member(name, indexOf(name));
        }

        private static int indexOf(String name) {
            if (name.isEmpty() || name.length() > MAX_INDEX_DIGITS || (name.length() > 1 && name.charAt(0) == '0')) {
                return -1;
            }
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                    return -1;
                }
            }
            return Integer.parseInt(name);
        }

        @Override
        public String toString() {
            return name.replace("~", "~0").replace("/", "~1");
        }
    }

    /** Every member of an object, every element of an array. */
    record Any() implements Step {

        @Override
        public String toString() {
            return "*";
        }
    }
}
