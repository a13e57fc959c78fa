//! HTTP endpoints of the organisation.

use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;

use crate::access;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::http::pagination::{Page, PageQuery};
use crate::org::dto::{
    ChildDetail, ClassStudent, ClassSummary, CreateSchoolRequest, CreatedSchool, DistrictOverview, Me, NewSchool,
    School, SchoolDetail, SubjectList,
};
use crate::org::service;
use crate::state::AppState;

/// The caller: roles, children (guardians), schools and classes (staff), districts (bureau).
#[utoipa::path(
    tag = "org",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: Caller) -> ApiResult<web::Json<Me>> {
    Ok(web::Json(service::me(&state, &user).await?))
}

/// Create a school in the caller's district, with its first admin (bureau officers only). The
/// admin's activation code is in the answer, once.
#[utoipa::path(
    tag = "org",
    security(("bearer" = [])),
    request_body = CreateSchoolRequest,
    responses(
        (status = 201, body = CreatedSchool),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: `district_id` is not the caller's", body = ErrorBody),
        (status = 409, description = "`school_exists`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/schools")]
pub async fn create_school(
    state: web::Data<AppState>,
    user: Caller,
    body: web::Json<CreateSchoolRequest>,
) -> ApiResult<HttpResponse> {
    let new = NewSchool::try_from(body.into_inner())?;
    let created = service::create_school(&state, &user, new).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Schools of the caller: a bureau officer's district schools, a staff member's own schools.
#[utoipa::path(
    tag = "org",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = Page<School>),
        (status = 403, description = "`forbidden`: neither staff nor bureau", body = ErrorBody),
    )
)]
#[get("/schools")]
pub async fn list_schools(
    state: web::Data<AppState>,
    user: Caller,
    page: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<School>>> {
    Ok(web::Json(service::list_schools(&state, &user, &page).await?))
}

/// One school. Its staff and bureau also get head counts; families of its pupils get the profile.
#[utoipa::path(
    tag = "org",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = SchoolDetail),
        (status = 404, description = "`not_found`: no such school, or not the caller's", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}")]
pub async fn get_school(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<SchoolDetail>> {
    Ok(web::Json(service::school_detail(&state, &user, path.into_inner()).await?))
}

/// The subjects taught at a school, each with one code and one name however rosters and teachers
/// spell it (its staff, its bureau and its pupils' guardians): what a homework form offers.
#[utoipa::path(
    tag = "org",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = SubjectList),
        (status = 404, description = "`not_found`: no such school, or not the caller's", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/subjects")]
pub async fn school_subjects(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<SubjectList>> {
    Ok(web::Json(service::school_subjects(&state, &user, path.into_inner()).await?))
}

/// Classes of a school, by grade and number (the school's staff).
#[utoipa::path(
    tag = "org",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, body = Page<ClassSummary>),
        (status = 404, description = "`not_found`: no such school, or the caller is not its staff", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/classes")]
pub async fn list_classes(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<ClassSummary>>> {
    let member = access::staff_member(&state.db, &user, path.into_inner()).await?;
    Ok(web::Json(service::list_classes(&state, &member, &page).await?))
}

/// Students of a class with their guardians (phones masked), by student number. For the class's
/// teachers and the school's admins.
#[utoipa::path(
    tag = "org",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, body = Page<ClassStudent>),
        (status = 403, description = "`forbidden`: staff of the school who do not teach the class", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/classes/{class_id}/students")]
pub async fn list_class_students(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<ClassStudent>>> {
    let proof = access::class_staff(&state.db, &user, path.into_inner()).await?;
    Ok(web::Json(service::class_students(&state, &proof, &page).await?))
}

/// One of the caller's children: school, class, teachers. Guardians with `full` or
/// `informational` access only.
#[utoipa::path(
    tag = "org",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = ChildDetail),
        (status = 404, description = "`not_found`: not the caller's child (or a pickup-only link)", body = ErrorBody),
    )
)]
#[get("/children/{student_id}")]
pub async fn get_child(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ChildDetail>> {
    let proof = access::guardian_of(&state.db, &user, path.into_inner()).await?;
    Ok(web::Json(service::child_detail(&state, proof).await?))
}

/// District-wide aggregate figures (the district's bureau officers only). No individual records.
#[utoipa::path(
    tag = "org",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    responses(
        (status = 200, body = DistrictOverview),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/overview")]
pub async fn district_overview(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<DistrictOverview>> {
    let officer = access::bureau_officer_of(&state.db, &user, path.into_inner()).await?;
    Ok(web::Json(service::district_overview(&state, &officer).await?))
}
