package org.tianshu.quota;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.persistence.Jdbc;

/** Departments in the database. */
@Component(service = DepartmentService.class)
public class Departments implements DepartmentService {
    private final Jdbc jdbc;

    @Activate
    public Departments(@Reference(target = "(tianshu.database=main)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public List<Department> list(Caller caller) {
        return jdbc.query("SELECT id, name, contact FROM department ORDER BY id",
                rs -> new Department(rs.getString(1), rs.getString(2), rs.getString(3)))
                .stream().filter(d -> caller.canAccess(d.id())).toList();
    }

    @Override
    public Department get(String id) {
        return jdbc.one("SELECT id, name, contact FROM department WHERE id = ?",
                rs -> new Department(rs.getString(1), rs.getString(2), rs.getString(3)), id)
                .orElseThrow(() -> TianshuException.notFound("department", "department", id));
    }

    @Override
    public Department create(Department d, Caller caller) {
        caller.checkOperator();
        Validation.id("id", d.id());
        Validation.required("name", d.name());
        try {
            jdbc.update("INSERT INTO department(id, name, contact, created_at) VALUES (?, ?, ?, ?)",
                    d.id(), d.name().trim(), d.contact(), Instant.now());
        } catch (RuntimeException e) {
            if (Jdbc.isDuplicateKey(e)) {
                throw TianshuException.conflict("id", "department '" + d.id() + "' already exists");
            }
            throw e;
        }
        return d;
    }

    @Override
    public void delete(String id, Caller caller) {
        caller.checkOperator();
        get(id);
        jdbc.tx(c -> {
            long held = jdbc.one("SELECT COUNT(*) FROM reservation WHERE department_id = ?", rs -> rs.getLong(1), id).orElse(0L);
            long journalled = jdbc.one("SELECT COUNT(*) FROM provisioning WHERE department_id = ?", rs -> rs.getLong(1), id).orElse(0L);
            if (held > 0 || journalled > 0) {
                throw TianshuException.conflict("department", "department '" + id + "' still has " + held
                        + " workload(s) holding quota and " + journalled + " provisioning record(s)");
            }
            return jdbc.update("DELETE FROM department WHERE id = ?", id);
        });
    }
}
