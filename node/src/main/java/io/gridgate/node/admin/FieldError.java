package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One problem of a request, as a client program reads it: the field that holds it (a JSON pointer
 * into the body, {@code ""} for the body itself, or a parameter's or header's name), the value it
 * had as shown to the operator, and the constraint it breaks.
 */
record FieldError(String field, String shown, String constraint) {

    /** The line an operator reads: {@code /port: 70000 (expected: an integer from 1 to 65535)}. */
    String message() {
        return field + ": " + shown + " (expected: " + constraint + ")";
    }

    /** The {@code errors} array of an error body. */
    static ArrayNode json(List<FieldError> errors) {
        ArrayNode array = AdminExchanges.JSON.createArrayNode();
        errors.forEach(error -> error.into(array.addObject()));
        return array;
    }

    ObjectNode into(ObjectNode item) {
        return item.put("field", field).put("constraint", constraint).put("message", message());
    }
}
