package org.feedbackhub.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.feedbackhub.api.InvalidParam;
import org.feedbackhub.api.ProblemCode;

/**
 * Maps request bodies Jackson could not read: malformed JSON and empty bodies are {@code
 * bad_request}; unknown fields and wrong JSON types are {@code validation} naming the field.
 */
@Provider
public class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {
  @Context private HttpServletRequest request;

  @Override
  public Response toResponse(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return validation(fieldPath(unknown), "is not a recognized request field");
    }
    if (e instanceof MismatchedInputException mismatch) {
      String path = fieldPath(mismatch);
      if (path.isEmpty()) {
        return badRequest("Invalid request body");
      }
      return validation(path, "must be " + jsonTypeName(mismatch.getTargetType()));
    }
    if (e instanceof JsonParseException parse) {
      return badRequest("Invalid JSON: " + parse.getOriginalMessage());
    }
    if (e instanceof JsonMappingException mapping && !fieldPath(mapping).isEmpty()) {
      return validation(fieldPath(mapping), "is invalid");
    }
    return badRequest("Invalid request body");
  }

  private Response validation(String name, String reason) {
    ProblemCode code = ProblemCode.VALIDATION;
    return ProblemResponses.build(
        request,
        code,
        code.status(),
        null,
        "input validation failed",
        null,
        List.of(new InvalidParam(name, reason)),
        null,
        null);
  }

  private Response badRequest(String detail) {
    ProblemCode code = ProblemCode.BAD_REQUEST;
    return ProblemResponses.build(
        request, code, code.status(), null, detail, null, null, null, null);
  }

  /** The dotted path of the offending field, e.g. {@code items[0].field_type}. */
  static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String jsonTypeName(Class<?> target) {
    if (target == null) {
      return "valid";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "a valid boolean";
    }
    if (target == Integer.class
        || target == int.class
        || target == Long.class
        || target == long.class) {
      return "a valid integer";
    }
    if (Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
      return "a valid number";
    }
    if (target == String.class) {
      return "string";
    }
    if (Map.class.isAssignableFrom(target)) {
      return "object";
    }
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "array";
    }
    return "object";
  }
}
