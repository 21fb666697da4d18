package org.tianshu.api.tenancy;

import java.util.List;
import org.tianshu.api.Caller;

/** Departments: read by everyone who may see them, changed by operators. */
public interface DepartmentService {
    /** Departments the caller may see, ordered by id. */
    List<Department> list(Caller caller);

    /** The department {@code id}; NOT_FOUND naming {@code department} otherwise. */
    Department get(String id);

    /** Creates a department; CONFLICT if the id exists. */
    Department create(Department department, Caller caller);

    /** Deletes a department; CONFLICT while it holds reservations. */
    void delete(String id, Caller caller);
}
