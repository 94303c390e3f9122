"""Forms generated from the profile model: the use case gives the fields (docgen.usecases.profile_fields), this
package turns them into the widgets a template draws (docgen/web/templates/profile_fields.html)."""
